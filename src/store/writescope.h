#pragma once

#include "store/database.h"

#include <optional>

namespace gd::store {

/**
 * The atomic unit of one store operation, wherever it runs: its own BEGIN IMMEDIATE
 * transaction on a connection with none open, a SAVEPOINT inside a transaction already open
 * (a Writer job). Either way, leaving the scope without commit() undoes everything the
 * operation wrote and nothing else.
 */
class WriteScope
{
  public:
    explicit WriteScope(Database &db)
    {
      if (db.inTransaction())
        mSavepoint.emplace(db);
      else
        mTransaction.emplace(db, Transaction::Kind::Immediate);
    }

    //! True when the scope is the transaction (not a savepoint inside the caller's).
    bool ownsTransaction() const { return mTransaction.has_value(); }

    void commit()
    {
      if (mSavepoint)
        mSavepoint->release();
      else
        mTransaction->commit();
    }

  private:
    std::optional<Transaction> mTransaction;
    std::optional<Savepoint> mSavepoint;
};

} // namespace gd::store
