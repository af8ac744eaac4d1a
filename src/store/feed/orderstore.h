#pragma once

#include "core/timeutil.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store {

class Database;

enum class OrderKind
{
  Assign, //!< a case handed to the terminal's worker
  Urge,   //!< 督办/催办 reminder on an assigned case
  Alert   //!< emergency broadcast near an incident
};

std::string_view orderKindName(OrderKind kind); //!< "assign", "urge", "alert"
std::optional<OrderKind> parseOrderKind(std::string_view name);

//! An order for a field terminal (delivered at least once, until the terminal's order_ack).
struct Order
{
  std::int64_t id = 0;
  std::string deviceId;
  std::string workerId;   //!< the worker the device belongs to
  OrderKind kind = OrderKind::Assign;
  std::string caseNumber; //!< empty when the order is about no case
  std::string message;
  std::optional<core::TimePoint> deadline;
  core::TimePoint createdAt{};
  std::optional<core::TimePoint> ackedAt;
};

//! Whether an order can reach worker \a workerId: the terminals they carry and their last fix.
struct TerminalReach
{
  std::string workerId;
  int terminals = 0;                         //!< active (not revoked) terminals
  std::optional<core::TimePoint> lastFix;    //!< the newest position any terminal reported
  //! A terminal that reported within \a window of \a now (the emergency's "online" rule).
  bool online(core::TimePoint now, std::chrono::seconds window = std::chrono::seconds(300)) const
  {
    return terminals > 0 && lastFix && *lastFix + window >= now;
  }
};

/**
 * Orders to field terminals. Works on the connection it is given (not owned): create() and
 * acknowledge() inside Writer jobs.
 */
class OrderStore
{
  public:
    explicit OrderStore(Database &db);

    /**
     * Creates an order and returns its id. Throws StoreRefusal "unknown_device" or
     * "unknown_case" (nothing written).
     */
    std::int64_t create(const std::string &deviceId, OrderKind kind, const std::string &caseNumber,
                        const std::string &message, std::optional<core::TimePoint> deadline, core::TimePoint now);
    //! Orders of \a deviceId not yet acknowledged, oldest first (resent after every reconnect).
    std::vector<Order> pending(const std::string &deviceId);
    //! Every order about case \a number, oldest first (what the case shows: sent, acknowledged).
    std::vector<Order> forCase(const std::string &number);
    //! The terminals of \a workerId and their last fix (who an order would reach).
    TerminalReach reach(const std::string &workerId);
    //! The order \a id, or nullopt.
    std::optional<Order> find(std::int64_t id);
    //! The newest order's id (0 when there is none): where an order pump starts.
    std::int64_t newestId();
    //! Ids of orders after \a afterId not yet acknowledged, oldest first, at most \a limit.
    std::vector<std::int64_t> unacknowledgedAfter(std::int64_t afterId, int limit);
    /**
     * Marks order \a id acknowledged by \a deviceId at \a at. Idempotent: true when the order
     * belongs to the device (acknowledged now or before), false when unknown or someone else's.
     */
    bool acknowledge(const std::string &deviceId, std::int64_t id, core::TimePoint at);

  private:
    Database &mDb;
};

} // namespace gd::store
