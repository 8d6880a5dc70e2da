// TraceRecorder: a StepObserver that records every step of every run, and
// each run as a whole, as Chrome trace events ("ph":"X", times in
// microseconds since the recorder was made), loadable in chrome://tracing and
// Perfetto: {"traceEvents":[{"name","cat","ph","ts","dur","pid","tid","args"}]}.
// Steps have cat = their backend; runs have cat "run" and enclose their steps.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "runtime/executor.h"

namespace ew {

class TraceRecorder : public StepObserver {
 public:
  TraceRecorder() : origin_(std::chrono::steady_clock::now()) {}

  // Steps observed from now on belong to run `index`.
  void begin_run(int index) { run_ = index; }
  void add_run(int index, std::chrono::steady_clock::time_point start, double seconds);
  void after_step(const StepEvent& event) override;

  size_t size() const { return events_.size(); }
  nlohmann::json to_json() const;
  Status write(const std::string& path) const;

 private:
  struct Event {
    std::string name, cat, op_type;
    double ts_us = 0, dur_us = 0;
    int run = 0;
    int nodes = 1;
  };
  double since_origin_us(std::chrono::steady_clock::time_point t) const;

  std::chrono::steady_clock::time_point origin_;
  int run_ = 0;
  std::vector<Event> events_;
};

}  // namespace ew
