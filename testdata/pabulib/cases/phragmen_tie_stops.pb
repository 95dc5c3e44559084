META
key;value
description;Phragmén: a and b tie, one fits, then the tie of the rest overshoots
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;3
num_votes;3
budget;100
vote_type;approval
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
a;60;a
b;60;b
c;30;c
VOTES
voter_id;vote
1;a,b
2;a,b
3;c
