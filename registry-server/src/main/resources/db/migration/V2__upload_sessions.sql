-- Upload sessions shared by every node (docs/operations.md): each request of a session may land on
-- a different node. The bytes are in the storage, one object per chunk received (upload_part).

CREATE TABLE upload_session (
  uuid    uuid PRIMARY KEY,
  owner   text NOT NULL,                      -- the token id that started it
  started timestamptz NOT NULL,
  touched timestamptz NOT NULL,               -- started, or last written to
  length  bigint NOT NULL DEFAULT 0 CHECK (length >= 0),
  -- open: takes chunks; closing: being committed, cancelled or purged (purged when left so)
  state   text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closing'))
);
CREATE INDEX upload_session_owner ON upload_session (owner);

-- The chunks of a session, contiguous from 0: the storage key of the bytes [start, start+length).
CREATE TABLE upload_part (
  uuid   uuid NOT NULL REFERENCES upload_session ON DELETE CASCADE,
  start  bigint NOT NULL CHECK (start >= 0),
  length bigint NOT NULL CHECK (length > 0),
  key    text NOT NULL,
  PRIMARY KEY (uuid, start)
);

-- Blobs a token committed that no metadata named yet: counted against its pending bytes.
CREATE TABLE upload_pending (
  owner  text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (owner, sha256)
);
