//! AdamW with decoupled weight decay, as candle-nn's optimiser computes it, with its state (the
//! step count and each variable's two moments) readable and writable: a training run that
//! saves it with the variables resumes exactly where it stopped.

use std::collections::HashMap;

use candle_core::backprop::GradStore;
use candle_core::{Result, Tensor, Var};

/// Optimiser settings (candle-nn's `ParamsAdamW` defaults, but for the rate and decay given).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    pub lr: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub eps: f64,
    pub weight_decay: f64,
}

impl Params {
    pub fn new(lr: f64, weight_decay: f64) -> Params {
        Params { lr, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay }
    }
}

/// The optimiser over named variables.
pub struct AdamW {
    pub params: Params,
    /// Steps taken so far.
    pub step: usize,
    /// Each variable's name, the variable, and its first and second moments.
    vars: Vec<(String, Var, Tensor, Tensor)>,
}

impl AdamW {
    /// An optimiser for `vars` (name and variable), its moments zero.
    pub fn new(vars: Vec<(String, Var)>, params: Params) -> Result<AdamW> {
        let vars = vars
            .into_iter()
            .map(|(name, var)| {
                let zeros = var.as_tensor().zeros_like()?;
                Ok((name, var, zeros.clone(), zeros))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(AdamW { params, step: 0, vars })
    }

    /// One step down the gradients of `grads`.
    pub fn step(&mut self, grads: &GradStore) -> Result<()> {
        self.step += 1;
        let Params { lr, beta1, beta2, eps, weight_decay } = self.params;
        let scale_m = 1.0 / (1.0 - beta1.powi(self.step as i32));
        let scale_v = 1.0 / (1.0 - beta2.powi(self.step as i32));
        for (_, var, m, v) in &mut self.vars {
            let Some(g) = grads.get(var.as_tensor()) else { continue };
            *m = ((&*m * beta1)? + (g * (1.0 - beta1))?)?;
            *v = ((&*v * beta2)? + (g.sqr()? * (1.0 - beta2))?)?;
            let adjusted = ((&*m * scale_m)? / ((&*v * scale_v)?.sqrt()? + eps)?)?;
            let next = ((var.as_tensor() * (1.0 - lr * weight_decay))? - (adjusted * lr)?)?;
            var.set(&next)?;
        }
        Ok(())
    }

    /// The moments, named `m.NAME` and `v.NAME`.
    pub fn moments(&self) -> HashMap<String, Tensor> {
        self.vars
            .iter()
            .flat_map(|(name, _, m, v)| [(format!("m.{name}"), m.clone()), (format!("v.{name}"), v.clone())])
            .collect()
    }

    /// Takes the moments back from what [`AdamW::moments`] gave, after `step` steps.
    pub fn restore(&mut self, moments: &HashMap<String, Tensor>, step: usize) -> Result<()> {
        for (name, _, m, v) in &mut self.vars {
            let get = |key: String| {
                moments.get(&key).cloned().ok_or_else(|| candle_core::Error::Msg(format!("no moment `{key}`")))
            };
            *m = get(format!("m.{name}"))?;
            *v = get(format!("v.{name}"))?;
        }
        self.step = step;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use candle_core::{Device, Tensor, Var};
    use candle_nn::Optimizer;

    use super::*;

    /// A least-squares problem `|x·w - y|²` and its loss's gradients at `w`.
    fn grads(w: &Var) -> GradStore {
        let x = Tensor::new(&[[1f32, 2.0], [3.0, -1.0], [0.5, 0.5]], &Device::Cpu).unwrap();
        let y = Tensor::new(&[[1f32], [0.0], [2.0]], &Device::Cpu).unwrap();
        let loss = (x.matmul(w.as_tensor()).unwrap() - y).unwrap().sqr().unwrap().sum_all().unwrap();
        loss.backward().unwrap()
    }

    fn values(var: &Var) -> Vec<f32> {
        var.as_tensor().flatten_all().unwrap().to_vec1().unwrap()
    }

    #[test]
    fn steps_as_candle_does_and_resumes_from_its_state() {
        let start = Tensor::new(&[[0.3f32], [-0.2]], &Device::Cpu).unwrap();
        let params = Params::new(0.05, 0.01);
        let ours = Var::from_tensor(&start).unwrap();
        let theirs = Var::from_tensor(&start).unwrap();
        let mut adam = AdamW::new(vec![("w".into(), ours.clone())], params).unwrap();
        let mut candle = candle_nn::AdamW::new(
            vec![theirs.clone()],
            candle_nn::ParamsAdamW { lr: 0.05, weight_decay: 0.01, ..Default::default() },
        )
        .unwrap();
        for _ in 0..5 {
            adam.step(&grads(&ours)).unwrap();
            candle.step(&grads(&theirs)).unwrap();
        }
        for (a, b) in values(&ours).iter().zip(values(&theirs)) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
        // Five more steps, straight on or from a copy of the state.
        let copy = Var::from_tensor(ours.as_tensor()).unwrap();
        let mut resumed = AdamW::new(vec![("w".into(), copy.clone())], params).unwrap();
        resumed.restore(&adam.moments(), adam.step).unwrap();
        for _ in 0..5 {
            adam.step(&grads(&ours)).unwrap();
            resumed.step(&grads(&copy)).unwrap();
        }
        assert_eq!(values(&ours), values(&copy));
        assert!(resumed.restore(&HashMap::new(), 0).is_err());
    }
}
