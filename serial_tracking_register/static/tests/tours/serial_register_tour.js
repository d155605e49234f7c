/** @odoo-module **/
import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("serial_register_tour", {
    url: "/odoo/action-serial_tracking_register.serial_register_entry_action",
    steps: () => [
        {
            content: "The delivered unit has its line in the book",
            trigger: ".o_data_row:contains('TOUR-P-1'):contains('Disposition')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('TOUR-P-1'):contains('Disposition') td[name=serial]",
            run: "click",
        },
        {
            content: "The form shows the Form 4473 number",
            trigger: ".o_form_view .o_field_widget[name=transaction_ref]:contains('4473-TOUR')",
        },
    ],
});
