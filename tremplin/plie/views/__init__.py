"""PLIE screens: thin views over tremplin.plie.services (writes) and tremplin.plie.selectors (reads).

Every view enters through tremplin.plie.perms (require_plie_access, get_pathway_for_user) or
Orientation.objects.visible_to(user): outsiders get 404, members who may only read get 403.
"""
