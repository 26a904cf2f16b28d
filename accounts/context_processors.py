def role(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"current_role": user.get_role_display(), "is_bureau_admin": user.role == "admin"}
