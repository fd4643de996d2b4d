from django.conf import settings


def site(request):
    """Values every page needs: the demo banner and the admin path (and, for staff, the time
    left before the idle sign-out)."""
    from programs.demo import demo_data_present

    return {
        "DEMO_DATA": demo_data_present(),
        "ADMIN_URL": "/" + settings.ADMIN_URL,
        # Staff only (admissions.middleware): seconds before the idle sign-out, for its warning.
        "staff_idle_left": getattr(request, "staff_idle_left", None),
    }
