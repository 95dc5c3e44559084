META
key;value
description;A project over the budget, empty ballots, a project nobody wants
country;Worldwide
unit;Plenum test cases
instance;2026
num_projects;4
num_votes;6
budget;1000
vote_type;approval
rule;greedy
date_begin;2026
date_end;2026
PROJECTS
project_id;cost;name
big;1500;over the whole budget
small;400;small
mid;600;middle
nobody;100;nobody wants it
VOTES
voter_id;vote
1;big,small
2;
3;mid
4;big
5;small,mid
6;
