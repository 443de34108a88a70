// cereal encoding of the bodies that cross between supervisor and workers
// (jobs in queue slots, messages in pipe frames). Binary archive: both ends
// run on the same machine from the same build, so no portability layer.
//
// Failure behaviour: encoding into a fixed buffer that is too small returns
// false; decoding malformed bytes returns std::nullopt. Neither throws.
#pragma once

#include <cstddef>
#include <istream>
#include <optional>
#include <ostream>
#include <span>
#include <sstream>
#include <streambuf>
#include <string>
#include <string_view>

#include <cereal/archives/binary.hpp>
#include <cereal/types/string.hpp>

namespace fibpool::ipc {

namespace detail {

// Streams over caller memory, built once per thread and re-pointed per call:
// constructing a std::iostream (and its locale) per job costs more than the
// job itself for tiny ones.
class SpanBuf : public std::streambuf {
 public:
  void Reset(std::span<char> out) { setp(out.data(), out.data() + out.size()); }
  std::size_t written() const { return static_cast<std::size_t>(pptr() - pbase()); }
};

class ViewBuf : public std::streambuf {
 public:
  void Reset(std::string_view in) {
    char* p = const_cast<char*>(in.data());  // read only: nothing writes through it
    setg(p, p, p + in.size());
  }
};

struct Streams {
  SpanBuf out_buf;
  ViewBuf in_buf;
  std::ostream out{&out_buf};
  std::istream in{&in_buf};
};

inline Streams& ThreadStreams() {
  thread_local Streams streams;
  return streams;
}

}  // namespace detail

// Encodes `value` into `out`; on success stores the encoded size in *written.
template <class T>
bool EncodeInto(const T& value, std::span<char> out, std::size_t* written) {
  detail::Streams& s = detail::ThreadStreams();
  s.out_buf.Reset(out);
  s.out.clear();
  try {
    cereal::BinaryOutputArchive archive(s.out);
    archive(value);
  } catch (const std::exception&) {
    return false;
  }
  *written = s.out_buf.written();
  return true;
}

template <class T>
std::string Encode(const T& value) {
  std::ostringstream stream;
  {
    cereal::BinaryOutputArchive archive(stream);
    archive(value);
  }
  return std::move(stream).str();
}

template <class T>
std::optional<T> Decode(std::string_view bytes) {
  detail::Streams& s = detail::ThreadStreams();
  s.in_buf.Reset(bytes);
  s.in.clear();
  T value{};
  try {
    cereal::BinaryInputArchive archive(s.in);
    archive(value);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return value;
}

}  // namespace fibpool::ipc
