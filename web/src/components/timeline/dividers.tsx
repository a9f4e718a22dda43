/** The lines across the timeline: a day starting ("Today", "Yesterday", a date), and the first unread message ("New"). */

export function DayDivider({ day }: { day: string }) {
  return (
    <div class="day-divider" role="separator" aria-label={day}>
      <span aria-hidden="true">{day}</span>
    </div>
  );
}

export function NewDivider() {
  return (
    <div class="new-divider" role="separator" aria-label="New messages start here" id="new-messages-divider">
      <span aria-hidden="true">New</span>
    </div>
  );
}
