META
key;value
description;Cumulative: a project named twice keeps its last points (pabutools)
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;4
num_votes;4
budget;90
vote_type;cumulative
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
x;30;x
y;30;y
z;30;z
w;30;w
VOTES
voter_id;vote;points
1;x,x,y;3,1,2
2;y,z;4,2
3;z,w;1,5
4;w,x;3,3
