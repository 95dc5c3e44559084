META
key;value
description;Hand-made edge case for Plenumcountry;Poland
unit;Testville
instance;2024
num_projects;3
num_votes;4budget;1000
vote_type;approval
rule;greedy
date_begin;01.01.2024
date_end;31.01.2024language;en
currency;PLN
PROJECTS
project_id;cost;votes;name;selected
1;600;3;Park;12;500;2;Library;0
3;300;2;Bike lane;1
VOTES
voter_id;vote
1;1,22;1,3
3;1
4;2,3