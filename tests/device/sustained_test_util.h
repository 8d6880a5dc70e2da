// A small synthetic device and workloads for the DVFS, thermal and sustained
// tests: numbers chosen so the arithmetic is easy to check by hand.
#pragma once

#include "device/device_profile.h"
#include "device/roofline.h"

namespace ew::test {

// "test_board": one CPU with fp32 10 GOP/s at 400 pJ/MAC and int8 40 GOP/s at
// 50 pJ/MAC, operating points 500/0.8, 1000/0.9, 1500/1.0 MHz/V; DRAM 10 GB/s
// at 100 pJ/B; static 1 W, TDP 4 W; R = `resistance` °C/W, tau 30 s, ambient
// 25 °C, throttle 60 °C, hysteresis 5 °C, critical 95 °C.
inline DeviceProfile test_board(double resistance = 15.0) {
  DeviceProfile p;
  p.name = "test_board";
  ComputeUnit cpu;
  cpu.name = cpu.kind = "cpu";
  cpu.count = {4, "test"};
  cpu.peak_gops = {{Precision::kFp32, {10, "test"}}, {Precision::kInt8, {40, "test"}}};
  cpu.energy_per_mac_pj = {{Precision::kFp32, {400, "test"}}, {Precision::kInt8, {50, "test"}}};
  cpu.operating_points = {{500, 0.8}, {1000, 0.9}, {1500, 1.0}};
  p.compute_units.push_back(cpu);
  p.memory.size_mib = {1024, "test"};
  p.memory.bandwidth_gb_s = {10, "test"};
  p.memory.energy_per_byte_pj = {100, "test"};
  p.power.tdp_w = {4, "test"};
  p.power.static_w = {1, "test"};
  p.thermal.resistance_c_per_w = {resistance, "test"};
  p.thermal.time_constant_s = {30, "test"};
  p.thermal.ambient_c = {25, "test"};
  p.thermal.throttle_c = {60, "test"};
  p.thermal.hysteresis_c = {5, "test"};
  p.thermal.critical_c = {95, "test"};
  return p;
}

// One op of `macs` MACs and `bytes` DRAM bytes at `precision`, predicted on `device`.
inline ModelPrediction one_op_model(const DeviceProfile& device, int64_t macs, int64_t bytes,
                                    Precision precision = Precision::kFp32) {
  OpCost c;
  c.node = "op";
  c.op_type = "Conv";
  c.macs = macs;
  c.flops = 2 * macs;
  c.bytes_read = bytes;
  c.precision = precision;
  return predict_roofline({c}, device);
}

}  // namespace ew::test
