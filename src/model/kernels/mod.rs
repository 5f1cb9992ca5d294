//! CPU kernels under the transformer: fused element-wise ops and run-time choice of the widest
//! instruction set ([`ops`]), int8 linear layers ([`int8`]) and AVX-512 f32 matrix products
//! ([`packed`]).

pub(super) mod int8;
pub(super) mod ops;
pub(super) mod packed;
