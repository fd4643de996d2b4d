from django.conf import settings


def site(request):
    """Values every page needs: the demo banner and the admin path."""
    from programs.demo import demo_data_present

    return {
        "DEMO_DATA": demo_data_present(),
        "ADMIN_URL": "/" + settings.ADMIN_URL,
    }
