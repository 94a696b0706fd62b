DROP TRIGGER ledger_mandate_no_truncate ON ledger_mandate;
DROP TRIGGER ledger_pause_no_truncate ON ledger_pause;
DROP TRIGGER ledger_entry_no_truncate ON ledger_ledgerentry;
DROP FUNCTION ledger_refuse_truncate();
