-- Receipts from vote numbers (see src/receipt.rs): a vote's receipt is its
-- number enciphered under the server secret, and distinct numbers make
-- distinct codes. Each collector takes its numbers in blocks of 1,024 from
-- this sequence, one call per block, so no two collectors ever hold the same
-- number, and a number is never handed out twice (a sequence does not roll
-- back). A block left unused when a collector stops is a gap, of no harm.
CREATE SEQUENCE vote_numbers AS BIGINT INCREMENT BY 1024 MINVALUE 1 START WITH 1;

-- With no code drawn at random stored yet, nothing can collide and the
-- unique index on receipts, a page written somewhere in it per vote, goes.
-- A database that holds random codes keeps it: a numbered code found taken
-- moves to the next number.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM votes) THEN
        ALTER TABLE votes DROP CONSTRAINT votes_receipt_key;
    END IF;
END
$$;
