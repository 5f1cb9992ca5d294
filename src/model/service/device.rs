//! `--device auto|cpu|cuda[:N]|metal`: which device runs the model.

use std::str::FromStr;

use candle_core::Device;

use crate::model::{ModelError, Phase};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceSpec {
    /// A GPU where jianbao was built with one and one is present, else the CPU.
    #[default]
    Auto,
    Cpu,
    Cuda(usize),
    Metal,
}

impl FromStr for DeviceSpec {
    type Err = String;

    fn from_str(s: &str) -> Result<DeviceSpec, String> {
        match s {
            "auto" => Ok(DeviceSpec::Auto),
            "cpu" => Ok(DeviceSpec::Cpu),
            "cuda" => Ok(DeviceSpec::Cuda(0)),
            "metal" => Ok(DeviceSpec::Metal),
            _ => match s.strip_prefix("cuda:").map(str::parse) {
                Some(Ok(n)) => Ok(DeviceSpec::Cuda(n)),
                _ => Err(format!("`{s}` is not a device: use auto, cpu, cuda, cuda:N or metal")),
            },
        }
    }
}

impl DeviceSpec {
    pub fn resolve(self) -> Result<Device, ModelError> {
        let fail = |e: candle_core::Error| ModelError::candle(Phase::Device, "", &e);
        match self {
            DeviceSpec::Cpu => Ok(Device::Cpu),
            DeviceSpec::Auto if candle_core::utils::cuda_is_available() => Device::new_cuda(0).map_err(fail),
            DeviceSpec::Auto if candle_core::utils::metal_is_available() => Device::new_metal(0).map_err(fail),
            DeviceSpec::Auto => Ok(Device::Cpu),
            DeviceSpec::Cuda(n) if candle_core::utils::cuda_is_available() => Device::new_cuda(n).map_err(fail),
            DeviceSpec::Cuda(_) => Err(ModelError::new(
                Phase::Device,
                "this jianbao was built without CUDA, or no CUDA device is present (build with --features cuda)",
            )),
            DeviceSpec::Metal if candle_core::utils::metal_is_available() => Device::new_metal(0).map_err(fail),
            DeviceSpec::Metal => Err(ModelError::new(
                Phase::Device,
                "this jianbao was built without Metal (build with --features metal)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_devices() {
        assert_eq!("cuda:1".parse(), Ok(DeviceSpec::Cuda(1)));
        assert_eq!("cpu".parse(), Ok(DeviceSpec::Cpu));
        assert!("tpu".parse::<DeviceSpec>().is_err());
        assert!(DeviceSpec::Cpu.resolve().unwrap().is_cpu());
    }
}
