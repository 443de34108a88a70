// cereal encoding of the bodies that cross between supervisor and workers
// (jobs in queue slots, messages in pipe frames). Binary archive: both ends
// run on the same machine from the same build, so no portability layer.
//
// Failure behaviour: encoding into a fixed buffer that is too small returns
// false; decoding malformed bytes returns std::nullopt. Neither throws.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>

#include <boost/interprocess/streams/bufferstream.hpp>
#include <cereal/archives/binary.hpp>
#include <cereal/types/string.hpp>

namespace fibpool::ipc {

// Encodes `value` into `out`; on success stores the encoded size in *written.
template <class T>
bool EncodeInto(const T& value, std::span<char> out, std::size_t* written) {
  boost::interprocess::obufferstream stream(out.data(), out.size());
  try {
    cereal::BinaryOutputArchive archive(stream);
    archive(value);
  } catch (const std::exception&) {
    return false;
  }
  if (!stream.good()) return false;
  *written = static_cast<std::size_t>(stream.tellp());
  return true;
}

template <class T>
std::string Encode(const T& value) {
  std::string out;
  {
    std::ostringstream stream;
    cereal::BinaryOutputArchive archive(stream);
    archive(value);
    out = std::move(stream).str();
  }
  return out;
}

template <class T>
std::optional<T> Decode(std::string_view bytes) {
  boost::interprocess::ibufferstream stream(bytes.data(), bytes.size());
  T value{};
  try {
    cereal::BinaryInputArchive archive(stream);
    archive(value);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return value;
}

}  // namespace fibpool::ipc
