//! The rules that decide which projects are funded.
