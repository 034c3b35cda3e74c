"""A span of time said in words states a number: stored `has_number` read again.

Stop 62 made `bot.text.numbers.states_number` count "it took me like a year", "a couple of weeks", "for several
decades", 十多年, 几个月, 半年 and the number words it lacked (thirteen to nineteen, seventy to ninety): Emma's "it took
me like a year to figure it out", the answer to how long a CORS error took her to understand, had not counted as
stating one, and ranking's numeric evidence went to another speaker's "three to four days". This reads again only
the passages whose text holds a word of the new forms (no other passage can change).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

from alembic import op

from bot.library.reread import reread
from bot.text.numbers import states_number

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# a word each new form holds (lower case: the forms' unit words are, whatever the case of the article before them)
HOLDING = ("year", "month", "week", "decade", "hour", "teen", "enty", "ghty", "nety",
           "几", "幾", "半", "多", "余", "餘")  # fmt: skip


def upgrade() -> None:
    """Recompute `has_number` for the passages holding one of those words, and write the ones that changed."""
    reread(op.get_bind(), "passages", "has_number", states_number, HOLDING)


def downgrade() -> None:
    """Nothing: older code reads the column as it is."""
