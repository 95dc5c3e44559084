META
key;value
description;The budget covers every project
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;3
num_votes;3
budget;1000
vote_type;approval
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
a;100;a
b;200;b
c;300;c
VOTES
voter_id;vote
1;a
2;b
3;a,b,c
