from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kesu.supervision.selectors.reminders import supervision_reminders_for

from ..queues import queues_for


@login_required
def workbench(request):
    queues = queues_for(request.user)
    # Issue 5 item 9 (S4): pending supervision work next to the case queues
    reminders = supervision_reminders_for(request.user)
    reminder_count = sum(r.count for r in reminders)
    return render(
        request,
        "web/workbench.html",
        {
            "queues": queues,
            "reminders": reminders,
            "reminder_count": reminder_count,
            "reminders_overdue": any(r.overdue for r in reminders),
            "total": sum(q.count for q in queues) + reminder_count,
        },
    )
