/** @odoo-module **/
import {registry} from "@web/core/registry";

// A warehouse user receives three phones: opens the capture wizard from the move line,
// scans a GS1 code and pastes two IMEIs, records them and validates the receipt.
registry.category("web_tour.tours").add("serial_tracking_capture_tour", {
    steps: () => [
        {
            content: "Open the capture wizard of the phone move",
            trigger: ".o_field_x2many_list .o_data_row button[name=action_serial_capture]",
            run: "click",
        },
        {
            content: "Paste the serials",
            trigger: ".modal div[name=serials_text] textarea",
            async run(helpers) {
                // A scanner sends one code per line; commas also separate serials.
                await helpers.edit("490154203237518\n860123456789014, 860123456789022");
            },
        },
        {
            content: "Leave the text box",
            trigger: ".modal div[name=expected_count]",
            run: "click",
        },
        {
            content: "Three serials counted",
            trigger: ".modal div[name=entry_count]:contains(3)",
        },
        {
            content: "Record them",
            trigger: ".modal button[name=action_confirm]",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "Validate the receipt",
            trigger: ".o_form_view button[name=button_validate]",
            run: "click",
        },
        {
            content: "The receipt is done",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains(Done)",
        },
    ],
});
