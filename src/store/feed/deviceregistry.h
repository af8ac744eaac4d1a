#pragma once

#include "core/timeutil.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gd::store {

class Database;

//! A provisioned field terminal as listed by DeviceRegistry::list().
struct DeviceInfo
{
  std::string id;
  std::string workerId;
  bool revoked = false;
  std::int64_t lastSeq = 0; //!< highest durably applied frame seq (see DeviceRegistry::durableLastSeq())
  core::TimePoint createdAt{};
  //! find(ids) only: the gateway holding the device's session (DeviceRegistry::takeSession()); empty for none.
  std::string sessionGateway;
};

//! A device's session as DeviceRegistry::sessionsAfter() lists it.
struct DeviceSession
{
  std::string device;
  std::string gateway;        //!< the gateway (StoreSink::instance()) that let the device in last
  std::int64_t generation = 0; //!< rises with every session taken, on any gateway of the store
};

/**
 * What changes when a device is added, revoked or deleted, read cheaply (one row and the
 * devices table's count) so a gateway can poll it several times a second (see
 * DeviceRegistry::revision()).
 */
struct DevicesRevision
{
  std::int64_t counter = 0; //!< gd_store_info 'devices_revision': raised by add() and revoke()
  std::int64_t devices = 0; //!< rows in devices: a deletion (by any tool) changes it
  bool operator==(const DevicesRevision &other) const { return counter == other.counter && devices == other.devices; }
  bool operator!=(const DevicesRevision &other) const { return !(*this == other); }
};

//! What a successful hello learns about its device.
struct DeviceAuth
{
  std::int64_t lastSeq = 0; //!< the row's devices.last_seq (see DeviceRegistry::authenticate())
  std::string workerId;
};

/**
 * Field terminals (devices) and their secrets, plus the per-device frame log that makes
 * sequenced frames idempotent. Tokens are 32 random bytes shown once as hex; only
 * SHA-256(salt ‖ token) with a per-device 16-byte salt is stored.
 *
 * A device's durable last_seq (schema revision 8) is the highest of its row's
 * devices.last_seq, the seqs in applied_frames (every non-position frame, recorded in the
 * transaction that applies it) and the seqs of its fixes above the track's published mark
 * (positions.seq, see PositionStore::markPublishedThrough()). The gateway keeps last_seq in
 * memory and writes the row only with the published mark, not in every commit; list(),
 * durableLastSeq() read the durable value, recoverLastSeq() writes it back. On PostgreSQL there
 * is no mark (ids commit out of order there: PositionStore::markPublishedThrough()) and these
 * read every fix of each device instead, one seek each in the index positions_device_seq.
 *
 * Works on the connection it is given (not owned): use the writer's connection inside a
 * Writer job for the mutating calls, any connection for authenticate()/list().
 */
class DeviceRegistry
{
  public:
    explicit DeviceRegistry(Database &db);

    /**
     * Provisions device \a id for worker \a workerId and returns its token (print it once; it
     * cannot be recovered). Throws StoreRefusal "duplicate_device" or "bad_value".
     */
    std::string add(const std::string &id, const std::string &workerId, core::TimePoint now);
    //! All devices, by id, each with its durable last_seq (durableLastSeq()).
    std::vector<DeviceInfo> list();
    //! The device \a id, or nullopt; lastSeq is the row's devices.last_seq (the gateway's view, see the class comment).
    std::optional<DeviceInfo> find(const std::string &id);
    //! find() of each of \a ids (those that exist, in no particular order), with the holder of each one's session; on PostgreSQL one query.
    std::vector<DeviceInfo> find(const std::vector<std::string> &ids);
    //! Ids of the active (not revoked) devices carried by \a workerId: where an assign order goes.
    std::vector<std::string> devicesOfWorker(const std::string &workerId);
    /**
     * Revokes \a id (its token stops working) and raises the devices revision, so a gateway
     * in any process cuts the terminal's live connection off (ingest::StoreSink); false when
     * unknown.
     */
    bool revoke(const std::string &id);
    /**
     * The devices revision: changes whenever add() or revoke() commits, or a device row is
     * deleted. Cheap (no scan of the rows); what a gateway polls to learn that a connected
     * terminal may no longer be allowed.
     */
    DevicesRevision revision();
    //! True when \a id exists and is not revoked.
    bool isActive(const std::string &id);
    /**
     * Checks \a token for \a id; nullopt for unknown, revoked or wrong token (constant-time
     * compare). The lastSeq returned is the row's devices.last_seq, read with the token: the
     * gateway raises it with what it holds in memory (ingest::StoreSink), and after its start
     * (recoverLastSeq()) nothing durable is above the two.
     */
    std::optional<DeviceAuth> authenticate(const std::string &id, std::string_view token);

    /**
     * Records frame \a seq of \a deviceId as applied (with \a result, e.g. the case number an
     * ack carries) and raises the device's last_seq. Returns false, writing nothing, when
     * that frame was applied before. Call inside the transaction that applies the frame.
     */
    bool markApplied(const std::string &deviceId, std::int64_t seq, core::TimePoint at, std::string_view result = {});
    /**
     * Records frame \a seq's result without touching last_seq (the caller advances last_seq
     * once for a batch with advanceLastSeq()). Returns false when that frame was recorded before.
     */
    bool recordApplied(const std::string &deviceId, std::int64_t seq, core::TimePoint at, std::string_view result);
    //! Raises the device's last_seq to \a seq (never lowers it).
    void advanceLastSeq(std::string_view deviceId, std::int64_t seq);
    //! advanceLastSeq() of each (device, seq), one device once; on PostgreSQL one statement.
    void advanceLastSeqs(const std::vector<std::pair<std::string, std::int64_t>> &seqs);
    /**
     * Raises every device's devices.last_seq to its durable last_seq (see the class comment),
     * given the track's published mark \a trackMark: what a gateway killed between two
     * publications left in its track and applied_frames only. Call inside a write transaction,
     * before the mark moves. Returns how many devices were raised.
     */
    std::size_t recoverLastSeq(std::int64_t trackMark);
    //! The device's durable last_seq (0 for none or unknown device), whatever a running gateway has written back.
    std::int64_t durableLastSeq(const std::string &deviceId);
    /**
     * Gives the device's session to \a gateway (one connection per device across the gateways
     * of a store, schema revision 12) and returns the session's generation, one above every
     * generation before it. Call inside a write transaction: the one-writer lock orders the
     * generations as the commits.
     */
    std::int64_t takeSession(const std::string &deviceId, const std::string &gateway, core::TimePoint at);
    //! The sessions taken after generation \a generation, oldest first (what a gateway polls).
    std::vector<DeviceSession> sessionsAfter(std::int64_t generation);
    //! The highest session generation so far (0 for none).
    std::int64_t latestSessionGeneration();
    /**
     * The device's highest stored seq, whichever gateway stored it: what a gateway taking the
     * device's session over must start from. On PostgreSQL (several gateways) the highest of the
     * row, applied_frames and every fix of the device (positions_device_seq); on a GeoPackage
     * (one gateway) durableLastSeq(). Call inside the transaction that takes the session.
     */
    std::int64_t takeoverLastSeq(const std::string &deviceId);
    //! The result recorded for an applied frame, or nullopt when that frame was never applied.
    std::optional<std::string> appliedResult(const std::string &deviceId, std::int64_t seq);

  private:
    Database &mDb;
};

} // namespace gd::store
