"""Two active rentals of one vehicle never overlap, enforced by the database itself."""

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

from tremplin.mobility.db import SQLITE_DROP_TRIGGERS, SQLITE_TRIGGERS, OnlyOn, rental_no_overlap_constraint


class Migration(migrations.Migration):
    dependencies = [("mobility", "0001_initial")]

    operations = [
        # btree_gist lets the exclusion constraint compare the vehicle (an integer) inside a GiST index.
        # CreateExtension itself does nothing on another database than PostgreSQL.
        BtreeGistExtension(),
        OnlyOn("postgresql", migrations.AddConstraint("rental", rental_no_overlap_constraint())),
        OnlyOn("sqlite", migrations.RunSQL(SQLITE_TRIGGERS, SQLITE_DROP_TRIGGERS)),
    ]
