import { registry } from "@web/core/registry";

// Service desk: a unit reported stolen is flagged and kept; a customer's unit is
// taken back with a return of its delivery and its repair is confirmed.
registry.category("web_tour.tours").add("serial_tracking_repair_desk_tour", {
    steps: () => [
        {
            content: "A search screen titled Warranty Lookup, no New button",
            trigger:
                ".o_control_panel:not(:has(.o_form_button_create)) .o_breadcrumb:contains(Warranty Lookup)",
        },
        {
            content: "Scan the stolen unit",
            trigger: ".o_field_widget[name=code] input",
            run: "edit WSTOLEN-1 && press Enter",
        },
        {
            content: "Leave the field so the unit is looked up",
            trigger: ".o_form_view .o_form_sheet",
            run: "click",
        },
        {
            content: "A red alert says it was reported stolen",
            trigger: ".alert-danger[name=loss_alert]:contains(Reported stolen on 03/05/2026)",
        },
        {
            content: "The desk is told what to do",
            trigger: ".alert-danger[name=loss_alert]:contains(Call a Serial Tracking manager)",
        },
        {
            content: "No repair for a stolen unit, the unit can still be opened",
            trigger:
                ".o_form_statusbar:has(button[name=action_open_unit]):not(:has(button[name=action_open_repair]))",
        },
        {
            content: "Nothing to save or discard",
            trigger:
                ".o_control_panel:not(:has(.o_form_button_save, .o_form_button_cancel)) .o_breadcrumb:contains(Warranty Lookup)",
        },
        {
            content: "Scan a customer's unit",
            trigger: ".o_field_widget[name=code] input",
            run: "edit WCUST-1 && press Enter",
        },
        {
            content: "Leave the field so the unit is looked up",
            trigger: ".o_form_view .o_form_sheet",
            run: "click",
        },
        {
            content: "It belongs to the customer and is not flagged",
            trigger:
                ".o_form_sheet:not(:has([name=loss_alert])) .o_field_widget[name=owner_id]:contains(Carlos Ruiz)",
        },
        {
            content: "Receive it for repair",
            trigger: "button[name=action_open_repair]:contains(Receive for Repair)",
            run: "click",
        },
        {
            content: "Confirm taking it back",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The repair order has the unit",
            trigger: ".o_field_widget[name=lot_id] input:value(WCUST-1)",
        },
        {
            content: "Its Return is the customer's return",
            trigger: ".o_field_widget[name=picking_id] input:value(WH/IN/)",
        },
        {
            content: "Confirm the repair",
            trigger: ".o_form_statusbar button[name=action_validate]",
            run: "click",
        },
        {
            content: "Confirmed, with no insufficient quantity warning",
            trigger: "body:not(:has(.modal)) .o_statusbar_status button.o_arrow_button_current:contains(Confirmed)",
        },
        {
            content: "Back to the lookup",
            trigger: ".o_breadcrumb a:contains(Warranty Lookup)",
            run: "click",
        },
        {
            content: "The desk can scan the next unit",
            trigger: ".o_field_widget[name=code] input:value(WCUST-1)",
            run: "edit WSTOLEN-1 && press Enter",
        },
        {
            content: "Leave the field so the unit is looked up",
            trigger: ".o_form_view .o_form_sheet",
            run: "click",
        },
        {
            content: "The stolen unit is flagged again",
            trigger: ".alert-danger[name=loss_alert]:contains(Reported stolen)",
        },
        {
            content: "Open the unit for the manager",
            trigger: "button[name=action_open_unit]",
            run: "click",
        },
        {
            content: "The unit's form",
            trigger: ".o_breadcrumb:contains(Warranty Lookup) .active:contains(WSTOLEN-1)",
        },
    ],
});
