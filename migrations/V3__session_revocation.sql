-- picam schema, version 3: a password change ends every login made before it (a stolen session cookie
-- stops working once the password is reset). Logins whose cookie was last issued before this time are refused.
alter table users add column sessions_valid_after timestamptz;
