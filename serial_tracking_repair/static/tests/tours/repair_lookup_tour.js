import { registry } from "@web/core/registry";

// Service desk: scan a unit, see its coverage, open a repair under warranty.
registry.category("web_tour.tours").add("serial_tracking_repair_lookup_tour", {
    steps: () => [
        {
            content: "Scan the serial number",
            trigger: ".o_field_widget[name=code] input",
            run: "edit WTOUR-0001 && press Enter",
        },
        {
            content: "Leave the field so the unit is looked up",
            trigger: ".o_form_view .o_form_sheet",
            run: "click",
        },
        {
            content: "The unit is under warranty",
            trigger: ".o_field_widget[name=warranty_state]:contains(Under Warranty)",
        },
        {
            content: "Its coverage is listed",
            trigger: ".o_field_widget[name=warranty_ids] .o_data_row:contains(2 years from delivery)",
        },
        {
            content: "Open a repair order",
            trigger: "button[name=action_open_repair]",
            run: "click",
        },
        {
            content: "The repair order has the unit",
            trigger: ".o_field_widget[name=lot_id] input:value(WTOUR-0001)",
        },
        {
            content: "It is under warranty",
            trigger: ".o_field_widget[name=under_warranty] input:checked",
        },
        {
            content: "Save the repair order",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
        },
    ],
});
