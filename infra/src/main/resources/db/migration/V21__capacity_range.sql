-- Capacity is enforced from V20 on. Load and failover tests let one counselor hold many chats (a stand-in for a
-- team), so the upper bound moves from 20 to 100; the default stays 3.
ALTER TABLE staff_user DROP CONSTRAINT IF EXISTS staff_user_capacity_check;
ALTER TABLE staff_user ADD CONSTRAINT staff_user_capacity_check CHECK (capacity BETWEEN 1 AND 100);
