META
key;value
description;A withdrawn project (sentinel cost) is skipped without stopping greedy-no-skip
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;4
num_votes;5
budget;1000
vote_type;approval
rule;greedy-no-skip
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;votes;name;selected
a;300;2;a;1
w;999999999;4;withdrawn after the vote;0
b;500;2;b;1
c;400;1;c;0
VOTES
voter_id;vote
1;w,a
2;w,b
3;w,b,c
4;a
5;w
