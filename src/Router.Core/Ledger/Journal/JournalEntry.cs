namespace Router.Core.Ledger.Journal;

/// <summary>One journaled record and its sequence number in its instance's journal (1, 2, 3... in queue order).</summary>
public readonly record struct JournalEntry(long Seq, CallRecord Record);
