META
key;value
description;Decimal costs and budget, exactly
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;4
num_votes;5
budget;1000.50
vote_type;approval
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
p1;333.25;a
p2;333.25;b
p3;334.00;c
p4;0.50;d
VOTES
voter_id;vote
1;p1,p2
2;p2,p3
3;p3,p4
4;p1,p4
5;p1
