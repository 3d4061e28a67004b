def home_panel(user, today):
    return None
