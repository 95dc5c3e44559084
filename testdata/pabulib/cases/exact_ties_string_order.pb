META
key;value
description;Ties broken by project_id as strings: 10 < 11 < 9
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
9;50;nine
10;50;ten
11;50;eleven
VOTES
voter_id;vote
1;9,10,11
2;9,10,11
3;9,10
4;10,9
