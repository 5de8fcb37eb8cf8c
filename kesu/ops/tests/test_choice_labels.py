"""get_<field>_display through the per-language label table (issue 8)."""

from django.utils import translation

from kesu.complaints.models import Complaint, State
from kesu.organisation.models import Company, Level


def test_a_state_shows_its_label_in_the_active_language():
    case = Complaint(state=State.INVESTIGATING)
    with translation.override("zh-hans"):
        chinese = case.get_state_display()
    with translation.override("en"):
        english = case.get_state_display()
    assert (chinese, english) == ("调查中", "Investigating")


def test_an_unknown_value_shows_itself():
    assert Complaint(state="no-such-state").get_state_display() == "no-such-state"
    assert Company(level=Level.CITY).get_level_display() == str(Level.CITY.label)
