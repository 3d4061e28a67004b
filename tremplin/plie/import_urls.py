"""URLs of the PLIE import (participants, pathways, contracts from the tool used today)."""

urlpatterns = []
