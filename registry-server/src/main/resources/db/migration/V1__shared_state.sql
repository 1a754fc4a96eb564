-- The state the nodes of one registry share (docs/operations.md). The metadata and blobs stay in
-- the storage; the writer lock is a session advisory lock and needs no table.

-- Publisher tokens: the sha256 of the whole token, never the token.
CREATE TABLE token (
  seq               bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  id                text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{12}$'),
  publisher         text NOT NULL,
  roles             text[] NOT NULL,
  created           timestamptz NOT NULL,
  max_sessions      integer NOT NULL CHECK (max_sessions > 0),
  max_pending_bytes bigint NOT NULL CHECK (max_pending_bytes > 0),
  max_blob_size     bigint NOT NULL CHECK (max_blob_size > 0),
  sha256            bytea NOT NULL CHECK (length(sha256) = 32)
);

-- Who signs the snapshot and the timestamp, until when (database time).
CREATE TABLE signer_lease (
  name    text PRIMARY KEY,
  holder  text NOT NULL,
  expires timestamptz NOT NULL
);

-- Submissions a node without the signer lease relays to its holder: the holder publishes each and
-- writes its outcome (JSON) for the relaying node, which then deletes the row.
CREATE TABLE submission (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  role      text NOT NULL,
  body      bytea NOT NULL,
  submitted timestamptz NOT NULL DEFAULT now(),
  outcome   jsonb
);
