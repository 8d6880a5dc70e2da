// Reading<T>: one value read from the machine, with where it came from.
//
// Device facts come from files that are often missing (a VM has no
// /sys/class/thermal), root-only (RAPL energy_uj) or oddly formatted. None of
// these is an error: the value stays unknown and says why, so reports can
// print "not available here" instead of a guess.
#pragma once

#include <string>

namespace ew::device {

enum class Provenance {
  kUnknown,     // the file or fact is absent on this machine
  kRead,        // read from /proc or /sys (or a fixture tree standing in for them)
  kLibrary,     // reported by libcpuinfo on the live machine
  kUnreadable,  // the file exists but could not be read (permissions, EIO, ...)
  kUnparsed,    // the file was read but its contents did not parse
};

const char* provenance_name(Provenance p);

template <typename T>
struct Reading {
  T value{};
  Provenance provenance = Provenance::kUnknown;
  std::string note;  // why it is unknown/unreadable/unparsed, or the file it came from

  bool known() const { return provenance == Provenance::kRead || provenance == Provenance::kLibrary; }
  // The value when known, else `fallback`.
  T value_or(T fallback) const { return known() ? value : fallback; }
};

template <typename T>
Reading<T> known_reading(T value, Provenance p, std::string note = {}) {
  Reading<T> r;
  r.value = std::move(value);
  r.provenance = p;
  r.note = std::move(note);
  return r;
}

// Carries an unknown/unreadable/unparsed state (and its note) over to another type.
template <typename T, typename U>
Reading<T> unknown_like(const Reading<U>& from) {
  Reading<T> r;
  r.provenance = from.provenance;
  r.note = from.note;
  return r;
}

}  // namespace ew::device
