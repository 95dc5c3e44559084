META
key;value
description;Free projects: one wanted, one not, and cost satisfaction gives free projects no satisfaction
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;4
num_votes;4
budget;100
vote_type;approval
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
a;0;free and wanted
b;0;free and unwanted
c;60;costly
d;50;cheaper
VOTES
voter_id;vote
1;a,c
2;a,d
3;c
4;d,c
