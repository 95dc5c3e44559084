//! Times IRV, Schulze, Ranked Pairs, Copeland, Borda and plurality on impartial-culture
//! profiles (every ballot a uniformly random complete ranking, so mostly distinct ballots).
//!
//! `cargo run --release -p plenum_choice --example ranked_speed -- [VOTERS] [ALTERNATIVES...]`
//! (default: 1,000,000 voters; 5, 10 and 20 alternatives). Timings are for people, not a test.

use std::time::Instant;

use plenum_choice::vote::{
    Pairwise, Rankings, TieBreak, TieOrder, Unranked, borda, irv, plurality, ranked_pairs_from, schulze_from,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let voters: usize = args.next().map_or(Ok(1_000_000), |v| v.parse())?;
    let sizes: Vec<usize> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    let sizes = if sizes.is_empty() { vec![5, 10, 20] } else { sizes };
    for m in sizes {
        let started = Instant::now();
        let rankings = impartial_culture(voters, m, 0x5eed + m as u64)?;
        println!("{voters} voters, {m} alternatives: profile made in {:.3} s", started.elapsed().as_secs_f64());
        let tie = TieOrder::new(&TieBreak::AlternativeOrder, m);
        let time = |name: &str, f: &dyn Fn() -> Vec<usize>| {
            let started = Instant::now();
            let winners = f();
            println!("  {name:30} {:7.3} s  winner {:?}", started.elapsed().as_secs_f64(), winners.first().map(|w| w + 1));
        };
        time("irv", &|| irv(&rankings, 1, &tie).winners);
        time("pairwise count alone", &|| {
            std::hint::black_box(Pairwise::count(&rankings, Unranked::Last));
            Vec::new()
        });
        time("schulze (count included)", &|| schulze_from(Pairwise::count(&rankings, Unranked::Last), 1, &tie).winners);
        time("ranked pairs (count included)", &|| ranked_pairs_from(Pairwise::count(&rankings, Unranked::Last), 1, &tie).winners);
        time("borda", &|| borda(&rankings, 1, &tie).winners);
        time("plurality", &|| plurality(&rankings, 1, &tie).winners);
    }
    Ok(())
}

/// `voters` uniformly random complete rankings of `m` alternatives, one ballot each.
fn impartial_culture(voters: usize, m: usize, seed: u64) -> Result<Rankings, Box<dyn std::error::Error>> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut rankings = Rankings::new(m)?;
    let mut order: Vec<usize> = (0..m).collect();
    let mut groups: Vec<[usize; 1]> = Vec::with_capacity(m);
    for _ in 0..voters {
        for i in (1..m).rev() {
            order.swap(i, (next() % (i as u64 + 1)) as usize);
        }
        groups.clear();
        groups.extend(order.iter().map(|&a| [a]));
        rankings.push(1, &groups)?;
    }
    Ok(rankings)
}
