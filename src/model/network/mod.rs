//! The transformer: the BERT-family encoder ([`bert`]) and its attention (`attention`), run
//! by candle on the model's own CPU kernels where those apply.

mod attention;
pub mod bert;
