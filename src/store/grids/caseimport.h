#pragma once

#include "store/storeerror.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace gd::core {
class Case;
}

namespace gd::store {

class CaseStore;
class Database;

//! What CaseImporter::run() wrote and where its time went.
struct CaseImportReport
{
  std::int64_t cases = 0;
  std::int64_t events = 0;
  bool bulk = false;           //!< secondary indexes and the R-tree were rebuilt in bulk (never on PostgreSQL)
  bool rtreePacked = false;    //!< the R-tree was rebuilt packed (else its rows were inserted one by one; never on PostgreSQL)
  bool rollbackJournal = false; //!< written through a rollback journal (CaseImportOptions::exclusive; never on PostgreSQL)
  double insertSeconds = 0;    //!< rows into cases and case_events (their preparation runs alongside)
  double rebuildSeconds = 0;   //!< indexes recreated and the R-tree loaded (bulk only)
  double commitSeconds = 0;    //!< COMMIT and checkpoint, until the cases are durable (own transaction only)
  double totalSeconds = 0;
  double insertCpuSeconds = 0;  //!< CPU time of the inserting thread while rows went in
  double prepareCpuSeconds = 0; //!< CPU time of the preparing thread (source included)
};

//! Tuning of an import; the defaults suit an import into a store that others may have open.
struct CaseImportOptions
{
  /**
   * How many cases the source will supply, when known (0: unknown). An import that is large
   * compared with the store switches to bulk mode from its first row instead of part-way.
   */
  std::size_t expectedCases = 0;
  /**
   * Bulk mode starts once the import reaches this many cases and at least half as many as the
   * store holds: below that, rebuilding the indexes over the rows already there costs more
   * than maintaining them row by row.
   */
  std::size_t bulkFrom = 10000;
  /**
   * A migration into a store no other connection has open: write through a rollback journal
   * instead of the WAL (each page written once, not again by a checkpoint). Connections that
   * open the store meanwhile wait; should the import be killed, the next read-write open
   * rolls it back, and read-only opens refuse the file until then. When another connection
   * has the store open, or a transaction is open, the import keeps the WAL.
   */
  bool exclusive = false;
};

/**
 * An import that failed because of one case (a number already in the store or supplied
 * twice): nothing was written. caseIndex() is the case's 0-based position in the source.
 */
class CaseImportError : public StoreError
{
  public:
    CaseImportError(int extendedCode, const std::string &message, std::size_t caseIndex, std::string number)
      : StoreError(extendedCode, message)
      , mCaseIndex(caseIndex)
      , mNumber(std::move(number))
    {}
    std::size_t caseIndex() const { return mCaseIndex; }
    const std::string &number() const { return mNumber; }

  private:
    std::size_t mCaseIndex = 0;
    std::string mNumber;
};

/**
 * The bulk path behind CaseStore::importCases(): writes whole cases (projection row, every
 * event, number counters) as one transaction, or as one savepoint of the open transaction,
 * so a failed or killed import leaves the store as it was.
 *
 * A case that is no longer open is written as two rows: its projection and its whole history
 * as one case_histories row (schema revision 6; later events of the case go to case_events);
 * an open case's events are rows of case_events. A second thread turns cases into bound-ready
 * rows (projection, SQL text of every value, event data as JSON) while the calling thread
 * inserts them; the connection is used on the calling thread only. A large import drops the
 * secondary indexes of cases and case_events but the partial ones over open cases (cheap to
 * keep), and the R-tree insert trigger, recreates the indexes from their stored SQL at the end and
 * rebuilds the R-tree packed, inside the same transaction: building an index from sorted rows
 * is several times cheaper than inserting every row into it. Other connections therefore see
 * a schema change when the import commits (their statements are prepared again).
 *
 * On PostgreSQL the same rows go in by binary COPY, a batch of cases at a time (their ids
 * taken from the identity's sequence first), with the same all-or-nothing transaction or
 * savepoint and the same CaseImportError for a number already stored or supplied twice; the
 * indexes are kept (dropping one would lock every reader of the shared store out until COMMIT),
 * and CaseImportOptions (bulk mode, exclusive) change nothing there.
 *
 * Works on the connection it is given (not owned); \a projector (its workflow and clock) must
 * outlive the importer.
 */
class CaseImporter
{
  public:
    /**
     * Supplies the next case, or nullptr at the end. The case must stay valid until the next
     * call. Called on the importer's preparing thread, never concurrently with itself; an
     * exception it throws ends the import (nothing written) and is rethrown by run().
     */
    using Source = std::function<const core::Case *()>;

    CaseImporter(Database &db, const CaseStore &projector, CaseImportOptions options = {});

    /**
     * Imports every case \a source supplies. Cases must come from core (events produced by
     * Workflow and applied with Case::apply); they are not validated again. Throws
     * CaseImportError for a duplicate number, StoreError for failures of the database, or what
     * \a source threw; nothing is written then.
     */
    CaseImportReport run(const Source &source);

  private:
    Database &mDb;
    const CaseStore &mProjector;
    CaseImportOptions mOptions;
};

} // namespace gd::store
