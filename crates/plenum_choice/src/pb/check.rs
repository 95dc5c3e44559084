//! Validation of Pabulib files, after pabulib's checker.
