//! maillage-demo
