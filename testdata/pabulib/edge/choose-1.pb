META
key;value
description;Hand-made edge case for Plenum
country;Poland
unit;Testville
instance;2024
num_projects;3
num_votes;4
budget;1000
vote_type;choose-1
rule;greedy
date_begin;01.01.2024
date_end;31.01.2024
min_length;1
max_length;1
language;en
currency;PLN
PROJECTS
project_id;cost;votes;name;selected
1;600;2;Park;1
2;500;1;Library;0
3;300;1;Bike lane;1
VOTES
voter_id;vote
1;1
2;2
3;1
4;3
