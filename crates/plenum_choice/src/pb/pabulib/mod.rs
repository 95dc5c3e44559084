//! The Pabulib `.pb` file format: reading and writing.
