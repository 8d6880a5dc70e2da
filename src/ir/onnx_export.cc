#include "ir/onnx_export.h"

#include <onnx/onnx_pb.h>

#include <filesystem>
#include <fstream>

#include "core/tensor_proto.h"

namespace ew {

namespace {

struct ExternalSink {
  size_t threshold = 0;
  std::string file_name;  // relative to the model
  std::ofstream* out = nullptr;
  int64_t offset = 0;
};

void export_graph(const Graph& g, onnx::GraphProto* gp, ExternalSink* sink);

void export_type(const ValueType& vt, onnx::TypeProto* tp) {
  auto* tt = tp->mutable_tensor_type();
  if (vt.dtype != DType::kUndefined) tt->set_elem_type(static_cast<int>(vt.dtype));
  if (!vt.has_shape) return;
  auto* shape = tt->mutable_shape();
  for (const Dim& d : vt.dims) {
    auto* dp = shape->add_dim();
    if (d.known()) dp->set_dim_value(d.value);
    else if (!d.symbol.empty()) dp->set_dim_param(d.symbol);
  }
}

void export_tensor(const Tensor& t, const std::string& name, onnx::TensorProto* tp, ExternalSink* sink) {
  tensor_to_proto(t, name, tp);
  if (!sink || !sink->out || sink->threshold == 0 || t.nbytes() < sink->threshold) return;
  tp->clear_raw_data();
  tp->set_data_location(onnx::TensorProto::EXTERNAL);
  auto add = [&](const std::string& k, const std::string& v) {
    auto* e = tp->add_external_data();
    e->set_key(k);
    e->set_value(v);
  };
  add("location", sink->file_name);
  add("offset", std::to_string(sink->offset));
  add("length", std::to_string(t.nbytes()));
  sink->out->write(static_cast<const char*>(t.raw()), static_cast<std::streamsize>(t.nbytes()));
  sink->offset += static_cast<int64_t>(t.nbytes());
}

void export_attribute(const std::string& name, const Attribute& a, onnx::AttributeProto* ap, ExternalSink* sink) {
  using K = Attribute::Kind;
  ap->set_name(name);
  switch (a.kind) {
    case K::kFloat: ap->set_type(onnx::AttributeProto::FLOAT); ap->set_f(a.f); break;
    case K::kInt: ap->set_type(onnx::AttributeProto::INT); ap->set_i(a.i); break;
    case K::kString: ap->set_type(onnx::AttributeProto::STRING); ap->set_s(a.s); break;
    case K::kFloats: ap->set_type(onnx::AttributeProto::FLOATS); for (float f : a.floats) ap->add_floats(f); break;
    case K::kInts: ap->set_type(onnx::AttributeProto::INTS); for (int64_t i : a.ints) ap->add_ints(i); break;
    case K::kStrings: ap->set_type(onnx::AttributeProto::STRINGS); for (const auto& s : a.strings) ap->add_strings(s); break;
    case K::kTensor: ap->set_type(onnx::AttributeProto::TENSOR); export_tensor(a.t, "", ap->mutable_t(), nullptr); break;
    case K::kTensors:
      ap->set_type(onnx::AttributeProto::TENSORS);
      for (const auto& t : a.tensors) export_tensor(t, "", ap->add_tensors(), nullptr);
      break;
    case K::kGraph: ap->set_type(onnx::AttributeProto::GRAPH); export_graph(*a.g, ap->mutable_g(), sink); break;
    case K::kGraphs:
      ap->set_type(onnx::AttributeProto::GRAPHS);
      for (const auto& g : a.graphs) export_graph(*g, ap->add_graphs(), sink);
      break;
  }
}

void export_graph(const Graph& g, onnx::GraphProto* gp, ExternalSink* sink) {
  gp->set_name(g.name);
  for (const auto& v : g.inputs) {
    auto* vi = gp->add_input();
    vi->set_name(v.name);
    export_type(v.type, vi->mutable_type());
  }
  for (const auto& v : g.outputs) {
    auto* vi = gp->add_output();
    vi->set_name(v.name);
    export_type(v.type, vi->mutable_type());
  }
  for (const auto& [name, vt] : g.value_types) {
    auto* vi = gp->add_value_info();
    vi->set_name(name);
    export_type(vt, vi->mutable_type());
  }
  for (const auto& [name, t] : g.initializers) export_tensor(t, name, gp->add_initializer(), sink);
  for (const auto& n : g.nodes) {
    auto* np = gp->add_node();
    np->set_name(n.name);
    np->set_op_type(n.op_type);
    if (!n.domain.empty()) np->set_domain(n.domain);
    for (const auto& i : n.inputs) np->add_input(i);
    for (const auto& o : n.outputs) np->add_output(o);
    for (const auto& [k, a] : n.attributes) export_attribute(k, a, np->add_attribute(), sink);
  }
}

void export_model(const Model& m, onnx::ModelProto* mp, ExternalSink* sink) {
  mp->set_ir_version(m.ir_version);
  mp->set_producer_name(m.producer_name.empty() ? "edgewise" : m.producer_name);
  mp->set_producer_version(m.producer_version);
  if (!m.doc.empty()) mp->set_doc_string(m.doc);
  for (const auto& o : m.opsets) {
    auto* op = mp->add_opset_import();
    op->set_domain(o.domain);
    op->set_version(o.version);
  }
  for (const auto& [k, v] : m.metadata) {
    auto* kv = mp->add_metadata_props();
    kv->set_key(k);
    kv->set_value(v);
  }
  export_graph(m.graph, mp->mutable_graph(), sink);
}

}  // namespace

Result<std::string> serialize_onnx(const Model& model) {
  onnx::ModelProto mp;
  export_model(model, &mp, nullptr);
  std::string bytes;
  if (!mp.SerializeToString(&bytes))
    return resource_exhausted("the model is too large to serialize inline (over 2 GiB); save it with external data");
  return bytes;
}

Status save_onnx(const Model& model, const std::string& path, size_t external_data_threshold) {
  ExternalSink sink;
  std::ofstream data_out;
  if (external_data_threshold > 0) {
    sink.threshold = external_data_threshold;
    sink.file_name = std::filesystem::path(path).filename().string() + ".data";
    data_out.open(path + ".data", std::ios::binary | std::ios::trunc);
    if (!data_out) return io_error("cannot write external data file '" + path + ".data'");
    sink.out = &data_out;
  }
  onnx::ModelProto mp;
  export_model(model, &mp, &sink);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !mp.SerializeToOstream(&out)) return io_error("cannot write model file '" + path + "'");
  if (sink.out && !data_out.good()) return io_error("writing external data file '" + path + ".data' failed");
  return Status::ok();
}

}  // namespace ew
