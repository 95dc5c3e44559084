META
key;value
description;One voter
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;3
num_votes;1
budget;100
vote_type;approval
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
a;30;a
b;80;b
c;20;c
VOTES
voter_id;vote
1;a,b,c
