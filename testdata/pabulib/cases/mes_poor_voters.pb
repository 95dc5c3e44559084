META
key;value
description;Some supporters cannot pay their full share
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;4
num_votes;6
budget;120
vote_type;approval
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
a;50;a
b;50;b
c;70;c
d;40;d
VOTES
voter_id;vote
1;a,c
2;a,c
3;b,c
4;c
5;d
6;b,d
