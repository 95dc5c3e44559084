META
key;value
description;The same project twice in one vote counts once
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;3
num_votes;4
budget;100
vote_type;approval
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
x;40;x
y;40;y
z;40;z
VOTES
voter_id;vote
1;x,x,y
2;y,y,y
3;z,x,z
4;z
