#include "runtime/trace.h"

#include <fstream>

namespace ew {

double TraceRecorder::since_origin_us(std::chrono::steady_clock::time_point t) const {
  return std::chrono::duration<double, std::micro>(t - origin_).count();
}

void TraceRecorder::add_run(int index, std::chrono::steady_clock::time_point start, double seconds) {
  events_.push_back({"run " + std::to_string(index), "run", "", since_origin_us(start), seconds * 1e6, index, 0});
}

void TraceRecorder::after_step(const StepEvent& event) {
  Event e;
  e.name = event.node.name.empty() ? event.node.op_type : event.node.name;
  e.cat = event.backend ? event.backend : "";
  for (const Node* n : event.nodes) e.op_type += (e.op_type.empty() ? "" : "+") + n->op_type;
  if (e.op_type.empty()) e.op_type = event.node.op_type;
  e.ts_us = since_origin_us(event.start);
  e.dur_us = event.seconds * 1e6;
  e.run = run_;
  e.nodes = static_cast<int>(event.nodes.size());
  events_.push_back(std::move(e));
}

nlohmann::json TraceRecorder::to_json() const {
  nlohmann::json events = nlohmann::json::array();
  for (const Event& e : events_) {
    nlohmann::json args = {{"run", e.run}};
    if (e.cat != "run") {
      args["op_type"] = e.op_type;
      args["backend"] = e.cat;
      args["nodes"] = e.nodes;
    }
    events.push_back({{"name", e.name}, {"cat", e.cat}, {"ph", "X"}, {"ts", e.ts_us}, {"dur", e.dur_us},
                      {"pid", 1}, {"tid", 1}, {"args", std::move(args)}});
  }
  return {{"traceEvents", std::move(events)}, {"displayTimeUnit", "ms"}};
}

Status TraceRecorder::write(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) return io_error("cannot write trace file '" + path + "'");
  out << to_json().dump() << "\n";
  if (!out) return io_error("failed writing trace file '" + path + "'");
  return Status::ok();
}

}  // namespace ew
