#include "bench/baseline_loops.h"

#include <thread>

#include <boost/asio/post.hpp>

namespace fibpool::bench {

BaselineLoops::BaselineLoops(const BaselineOptions& options, unsigned count) {
  BaselineOptions bind = options;
  for (unsigned i = 0; i < count; ++i) {
    auto loop = std::make_unique<Loop>();
    loop->server = std::make_unique<BaselineServer>(loop->io, bind, LoopIndex{i, count});
    loop->server->Start();
    bind.port = loop->server->local_endpoint().port();  // the others share loop 0's port
    loops_.push_back(std::move(loop));
  }
}

BaselineLoops::~BaselineLoops() = default;

boost::asio::ip::tcp::endpoint BaselineLoops::local_endpoint() const {
  return loops_.front()->server->local_endpoint();
}

void BaselineLoops::Run() {
  std::vector<std::jthread> threads;
  threads.reserve(loops_.size() - 1);
  try {
    for (std::size_t i = 1; i < loops_.size(); ++i) {
      threads.emplace_back([loop = loops_[i].get()] { loop->io.run(); });
    }
  } catch (...) {
    Stop();
    loops_.front()->io.run();
    throw;  // the threads started are joined on the way out
  }
  loops_.front()->io.run();
}

void BaselineLoops::Stop() {
  for (const auto& loop : loops_) {
    boost::asio::post(loop->io, [server = loop->server.get()] { server->Stop(); });
  }
}

}  // namespace fibpool::bench
