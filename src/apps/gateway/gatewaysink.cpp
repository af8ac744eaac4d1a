#include "apps/gateway/gatewaysink.h"

#include "ingest/storesink.h"
#include "store/configdir.h"
#include "store/database.h"
#include "store/schema.h"

namespace gd::apps {

namespace {

// Owns the configuration the store sink validates against, for the sink's whole life.
class ConfiguredStoreSink : public feed::FrameSink
{
  public:
    explicit ConfiguredStoreSink(const std::string &dbPath)
      : mConfig(store::ConfigDirectory::load(store::ConfigDirectory::defaultPath()))
    {
      // Refuses a missing or foreign file, and brings an older store up to date, before any
      // terminal is let in.
      store::Schema::open(dbPath);
      mSink = std::make_unique<ingest::StoreSink>(dbPath, *mConfig);
    }

    void authenticate(const core::HelloFrame &hello, AuthCallback done) override { mSink->authenticate(hello, std::move(done)); }
    void submit(feed::FrameBatch batch, SubmitCallback done) override { mSink->submit(std::move(batch), std::move(done)); }
    void pendingOrders(const std::string &device, OrdersCallback done) override
    {
      mSink->pendingOrders(device, std::move(done));
    }

  private:
    std::unique_ptr<store::ConfigDirectory> mConfig;
    std::unique_ptr<ingest::StoreSink> mSink;
};

} // namespace

std::unique_ptr<feed::FrameSink> openGatewaySink(const std::string &dbPath, feed::Gateway &)
{
  return std::make_unique<ConfiguredStoreSink>(dbPath);
}

} // namespace gd::apps
